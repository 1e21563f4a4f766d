import ServiceLifecycle

/// An input that could not start listening, with the address and the system's reason.
struct ListenerError: Error, CustomStringConvertible {
    let input: String
    let address: String
    let underlying: any Error

    var description: String { "cannot listen on \(address) for \(input): \(underlying)" }
}

/// Runs `service`, naming the listener in any error it ends with (a bind failure otherwise reads
/// as a bare "Address already in use").
struct NamedListenerService<Wrapped: Service>: Service {
    let input: String
    let address: String
    let service: Wrapped

    func run() async throws {
        do {
            try await service.run()
        } catch {
            throw ListenerError(input: input, address: address, underlying: error)
        }
    }
}
