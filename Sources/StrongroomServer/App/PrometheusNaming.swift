/// OpenTelemetry's metric names as Prometheus shows them, by the translation OpenTelemetry
/// specifies for Prometheus exporters: dots become underscores in names and labels, and a name
/// whose unit the table below knows ends in that unit (`http.server.request.duration`, in
/// seconds, is `http_server_request_duration_seconds`). The server's own `strongroom_*`
/// names are Prometheus names already and pass through unchanged.
enum PrometheusNaming {
    /// The unit of each dotted (OpenTelemetry) name the server records.
    static let units: [String: String] = [
        "http.server.request.duration": "seconds",
        "db.client.connection.wait_time": "seconds",
    ]

    static func name(_ label: String) -> String {
        guard label.utf8.contains(UInt8(ascii: ".")) else { return label }
        let base = underscored(label)
        guard let unit = units[label] else { return base }
        return base + "_" + unit
    }

    static func sanitize(_ label: String, _ dimensions: [(String, String)]) -> (String, [(String, String)]) {
        (name(label), dimensions.map { (underscored($0.0), $0.1) })
    }

    private static func underscored(_ text: String) -> String {
        String(text.map { $0 == "." ? "_" : $0 })
    }
}
