/// One operation the server sends (the NATS client protocol).
enum NATSServerOperation: Sendable {
    case info(NATSServerInfo)
    case message(sid: Int, NATSMessage)
    case ping
    case pong
    case ok
    case error(String)
}
