import MapModel

/// One focused map and the model that goes with it, named for messages and tables.
public struct FocusedMapInput {
    /// The map, on its own grid.
    public var map: Volume
    /// The model placed in it (its own, or the model all maps share).
    public var model: AtomicModel
    /// The map's name (its file).
    public var name: String
    /// The model's name (its file).
    public var modelName: String

    /// A map with its model.
    public init(map: Volume, model: AtomicModel, name: String, modelName: String) {
        self.map = map; self.model = model; self.name = name; self.modelName = modelName
    }
}
