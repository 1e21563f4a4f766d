import Foundation

/// A fresh temporary directory for one test.
public struct Scratch: Sendable {
    public let path: String

    public init(_ name: String = #function) {
        path = NSTemporaryDirectory() + "vigil-test-\(name.filter { $0.isLetter }.prefix(40))-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` (creating folders) and returns its path.
    @discardableResult
    public func file(_ name: String, _ contents: String) -> String {
        let target = path + "/" + name
        try! FileManager.default.createDirectory(
            atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! contents.write(toFile: target, atomically: false, encoding: .utf8)
        return target
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}
