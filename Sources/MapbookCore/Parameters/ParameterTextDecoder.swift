import Foundation

/// Builds a `DeclaredParameters` value from written values through its synthesised
/// `init(from:)`: each property is asked for by name, and the decoder answers with the
/// default's parameter, its value replaced when `texts` has one for its key. This is how the
/// property wrappers get values without a table of key paths (swift-argument-parser builds its
/// commands the same way).
struct ParameterTextDecoder: Decoder {
    /// The properties of the defaults, by name as `Mirror` labels them (`_name` for wrappers).
    let defaults: [String: Any]
    /// Written values by key.
    let texts: [String: String]
    var codingPath: [CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] = [:]

    init(defaults: some DeclaredParameters, texts: [String: String]) {
        self.defaults = Dictionary(Mirror(reflecting: defaults).children.compactMap { c in c.label.map { ($0, c.value) } },
                                   uniquingKeysWith: { a, _ in a })
        self.texts = texts
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(Container<Key>(decoder: self))
    }
    func unkeyedContainer() throws -> UnkeyedDecodingContainer { throw misuse }
    func singleValueContainer() throws -> SingleValueDecodingContainer { throw misuse }

    var misuse: DecodingError {
        DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: "a parameter set is made only from its properties"))
    }

    /// The value of property `name`: the default, with the written value when there is one.
    func value(of name: String) throws -> Any {
        guard let d = defaults["_" + name] ?? defaults[name] else { throw misuse }
        if let p = d as? any AnyParameter, let spec = p.declaration {
            guard let text = texts[spec.key] else { return d }
            do { return try p.replacingValue(withText: text) } catch let e as ParameterTextError {
                throw ParameterProblem(key: spec.key, value: text, "is not \(e.expected)")
            }
        }
        if let group = d as? any DeclaredParameters { return try group.rebuilt(from: texts) }
        return d
    }

    struct Container<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let decoder: ParameterTextDecoder
        var codingPath: [CodingKey] { decoder.codingPath }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        /// Nil when the property's default is nil (a plain optional setting such as a memory limit).
        func decodeNil(forKey key: Key) throws -> Bool {
            guard let v = try? decoder.value(of: key.stringValue) else { return false }
            let m = Mirror(reflecting: v)
            return m.displayStyle == .optional && m.children.isEmpty
        }
        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            guard let v = try decoder.value(of: key.stringValue) as? T else { throw decoder.misuse }
            return v
        }
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type, key) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try decode(type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type, key) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try decode(type, key) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try decode(type, key) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try decode(type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type, key) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try decode(type, key) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try decode(type, key) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try decode(type, key) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try decode(type, key) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try decode(type, key) }
        private func decode<T>(_ type: T.Type, _ key: Key) throws -> T {
            guard let v = try decoder.value(of: key.stringValue) as? T else { throw decoder.misuse }
            return v
        }
        func nestedContainer<N: CodingKey>(keyedBy type: N.Type, forKey key: Key) throws -> KeyedDecodingContainer<N> { throw decoder.misuse }
        func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer { throw decoder.misuse }
        func superDecoder() throws -> Decoder { throw decoder.misuse }
        func superDecoder(forKey key: Key) throws -> Decoder { throw decoder.misuse }
    }
}
