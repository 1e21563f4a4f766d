/// A place in the store's order of blocks: block `block` (counting from 0) of segment `segment`.
/// The fleet forwarder's cursor names the next block it will send.
public struct BlockPosition: Sendable, Equatable, Comparable, Codable, CustomStringConvertible {
    public var segment: UInt64
    public var block: Int

    public init(segment: UInt64, block: Int) {
        self.segment = segment
        self.block = block
    }

    /// Before the first block of any store.
    public static let start = BlockPosition(segment: 0, block: 0)

    public static func < (a: BlockPosition, b: BlockPosition) -> Bool { (a.segment, a.block) < (b.segment, b.block) }

    public var description: String { "segment \(segment) block \(block)" }
}
