/// A write the SQL stores would refuse: a bug in the engine, never a rule a client breaks.
public struct InMemoryStoreError: Error, CustomStringConvertible {
    public let description: String

    init(_ description: String) { self.description = description }
}
