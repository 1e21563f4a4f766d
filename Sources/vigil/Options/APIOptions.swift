import ArgumentParser
import Foundation
import VigilSettings

/// Where vigild's management API is and the token to use: shared by `vigil incidents`.
struct APIOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The management API, http://HOST:PORT.",
            discussion: "Default: $VIGIL_SERVER, else [api] listen from --config (or /etc/vigil), else http://127.0.0.1:8081.",
            valueName: "url"))
    var server: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "A file whose first line is the API token.", discussion: "Default: the token in $VIGIL_TOKEN.", valueName: "file"))
    var tokenFile: String?

    @Option(name: .long, help: ArgumentHelp("The configuration directory to take [api] listen from.", valueName: "dir"))
    var config: String?

    /// A client for the chosen server and token.
    func client() throws -> APIClient {
        APIClient(server: try serverURL(), token: try token())
    }

    func serverURL() throws -> URL {
        var text = server ?? ProcessInfo.processInfo.environment["VIGIL_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
        if text == nil, let listen = try configuredListen() {
            let host = listen.host == "0.0.0.0" ? "127.0.0.1" : listen.host == "::" ? "::1" : listen.host
            text = "http://\(host.contains(":") ? "[\(host)]" : host):\(listen.port)"
        }
        let chosen = text ?? "http://127.0.0.1:8081"
        guard let url = URL(string: chosen.contains("://") ? chosen : "http://" + chosen), url.host != nil else {
            throw ValidationError("--server: \"\(chosen)\" is not an http://HOST:PORT address")
        }
        return url
    }

    private func configuredListen() throws -> (host: String, port: Int)? {
        let directory = config ?? "/etc/vigil"
        let explicit = config != nil
        guard explicit || FileManager.default.fileExists(atPath: directory + "/vigil.toml") else { return nil }
        do {
            let api = try DaemonConfiguration.load(directory: directory).api
            return (api.listen.host, api.listen.port)
        } catch {
            // An unreadable /etc/vigil (token files for root only) must not stop a client that
            // does not need it; a --config the user named must.
            if explicit { throw error }
            return nil
        }
    }

    func token() throws -> String? {
        if let tokenFile {
            guard let token = APIConfiguration.Token.read(file: tokenFile) else {
                throw ValidationError("--token-file: cannot read \(tokenFile)")
            }
            guard !token.isEmpty else { throw ValidationError("--token-file: \(tokenFile) holds no token") }
            return token
        }
        return ProcessInfo.processInfo.environment["VIGIL_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }
}
