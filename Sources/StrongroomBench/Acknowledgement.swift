import Foundation

/// A transfer the server acknowledged (answered 2xx with its id) during a run: what the
/// crash and database-fault suites later prove still exists, whole, after the server or the
/// database died mid-load.
public struct Acknowledgement: Codable, Sendable, Equatable {
    public let id: String
    public let source: String
    public let destination: String
    /// The amount, as the request sent it (major units, e.g. "0.42").
    public let value: String

    public init(id: String, source: String, destination: String, value: String) {
        self.id = id
        self.source = source
        self.destination = destination
        self.value = value
    }
}

/// The file a run's acknowledgements go to: JSON lines, the first naming the ledger
/// (`{"ledger":"/v1/organizations/…/ledgers/…"}`), then one acknowledgement per line.
public struct AcknowledgementLog: Sendable, Equatable {
    public var ledgerPath: String
    public var acknowledgements: [Acknowledgement]

    public init(ledgerPath: String, acknowledgements: [Acknowledgement]) {
        self.ledgerPath = ledgerPath
        self.acknowledgements = acknowledgements
    }

    private struct Header: Codable {
        let ledger: String
    }

    public struct Malformed: Error, CustomStringConvertible {
        public let description: String
    }

    public func write(to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(Header(ledger: ledgerPath))
        for acknowledgement in acknowledgements {
            data.append(0x0A)
            data.append(try encoder.encode(acknowledgement))
        }
        data.append(0x0A)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public static func read(from path: String) throws -> AcknowledgementLog {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true).makeIterator()
        let decoder = JSONDecoder()
        guard let first = lines.next(), let header = try? decoder.decode(Header.self, from: Data(first.utf8)) else {
            throw Malformed(description: "\(path): the first line does not name the ledger")
        }
        var log = AcknowledgementLog(ledgerPath: header.ledger, acknowledgements: [])
        var number = 1
        while let line = lines.next() {
            number += 1
            guard let acknowledgement = try? decoder.decode(Acknowledgement.self, from: Data(line.utf8)) else {
                throw Malformed(description: "\(path):\(number): not an acknowledgement")
            }
            log.acknowledgements.append(acknowledgement)
        }
        return log
    }
}
