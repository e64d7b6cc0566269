import HTTPTypes
import NIOCore
import NIOHTTPTypes
import StrongroomKernel
import Synchronization

/// The server's connection cap, answered rather than hidden: a connection beyond
/// `maxConnections` is still accepted, and its first request gets a 503 problem
/// (`Retry-After: 1`, `Connection: close`) before the connection closes, instead of waiting
/// unseen in the kernel's backlog until a slot frees. Hummingbird's own limit stays as the
/// hard stop, `overflow` connections above the cap, so answering the excess is bounded too.
public final class ConnectionCap: Sendable {
    public let maxConnections: Int
    /// How many connections over the cap are accepted only to be told 503.
    public let overflow: Int
    private let open = Atomic<Int>(0)

    public init(maxConnections: Int) {
        self.maxConnections = maxConnections
        self.overflow = max(64, maxConnections / 8)
    }

    /// Where Hummingbird stops accepting at all.
    public var hardLimit: Int { maxConnections + overflow }

    /// Counts a new connection in; answers whether it is within the cap.
    public func admit() -> Bool { open.add(1, ordering: .relaxed).newValue <= maxConnections }

    public func release() { open.subtract(1, ordering: .relaxed) }

    public var current: Int { open.load(ordering: .relaxed) }

    /// One connection's handler: counts it, and answers 503 to a connection over the cap.
    public func handler() -> Handler { Handler(cap: self) }

    public final class Handler: ChannelDuplexHandler, RemovableChannelHandler {
        public typealias InboundIn = HTTPRequestPart
        public typealias InboundOut = HTTPRequestPart
        public typealias OutboundIn = HTTPResponsePart
        public typealias OutboundOut = HTTPResponsePart

        private let cap: ConnectionCap
        private var counted = false
        private var admitted = true
        private var refused = false

        public init(cap: ConnectionCap) { self.cap = cap }

        public func handlerAdded(context: ChannelHandlerContext) {
            if context.channel.isActive { count() }
        }

        public func channelActive(context: ChannelHandlerContext) {
            count()
            context.fireChannelActive()
        }

        public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            guard admitted else {
                if case .head = unwrapInboundIn(data), !refused {
                    refused = true
                    refuse(context)
                }
                return  // nothing of an excess connection reaches the application
            }
            context.fireChannelRead(data)
        }

        public func channelInactive(context: ChannelHandlerContext) {
            uncount()
            context.fireChannelInactive()
        }

        public func handlerRemoved(context: ChannelHandlerContext) { uncount() }

        private func count() {
            guard !counted else { return }
            counted = true
            admitted = cap.admit()
        }

        private func uncount() {
            guard counted else { return }
            counted = false
            cap.release()
        }

        private func refuse(_ context: ChannelHandlerContext) {
            let requestID = RequestID.generate()
            let body = Problem.body(
                StrongroomError(.serviceUnavailable, "The server is at its connection limit; retry shortly."),
                requestID: requestID
            )
            var headers = HTTPFields()
            headers[.contentType] = Problem.contentType
            headers[.contentLength] = String(body.count)
            headers[.connection] = "close"
            headers[.retryAfter] = "1"
            headers[.xRequestID] = requestID
            headers[.xContentTypeOptions] = "nosniff"
            headers[.cacheControl] = "no-store"
            context.write(wrapOutboundOut(.head(HTTPResponse(status: .serviceUnavailable, headerFields: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(ByteBuffer(bytes: body))), promise: nil)
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in loopBound.value.close(promise: nil) }
        }
    }
}
