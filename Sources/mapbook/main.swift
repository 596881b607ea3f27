print("mapbook")
