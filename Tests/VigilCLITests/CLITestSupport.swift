import Foundation
import VigilTestSupport

/// Runs the built `vigil` binary and captures its output.
@discardableResult
func vigil(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) async throws -> ProcessResult {
    try await runProcess("vigil", arguments, stdin: stdin, environment: environment)
}
