import Foundation
import VigilTestSupport

/// Runs the built `vigil` binary and captures its output.
@discardableResult
func vigil(_ arguments: [String], stdin: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
    try runProcess("vigil", arguments, stdin: stdin, environment: environment)
}
