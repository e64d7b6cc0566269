import HTTPTypes
import Hummingbird
import NIOCore
import StrongroomEdge
import StrongroomKernel

extension JSONResponse {
    /// An answer whose body has a hand-written rendering (a transaction, an operation, a page
    /// of them): the same bytes wherever that value is answered, stored or read.
    static func make(_ value: some SortedJSONWritable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: SortedJSONWriter.write(value))))
    }
}
