/// The columns of a block being encoded (`BlockEncoder`), kept from block to block by the writer's
/// encoding slots so that their buffers are reused instead of allocated for every block (and, when
/// large, mapped or handed back to the kernel by the allocator and faulted in again page by page).
struct BlockColumns {
    var times = ByteWriter(), received = ByteWriter(), flags = ByteWriter(), facilities = ByteWriter()
    var hostIndexes = ByteWriter(), serviceIndexes = ByteWriter(), messageLengths = ByteWriter()
    var fieldCounts = ByteWriter(), sourceSizes = ByteWriter()
    var messages = ByteWriter(), fields = ByteWriter()
    /// The dictionaries and the per-record columns, compressed as one group.
    var meta = ByteWriter()
    /// The records of the largest block the buffers were sized for.
    private var sizedFor = 0

    /// Empties every column, keeping (or reserving) room for `records` records.
    mutating func reset(records: Int) {
        for keyPath in Self.perRecord + [\Self.messages, \Self.fields, \Self.meta] {
            self[keyPath: keyPath].bytes.removeAll(keepingCapacity: true)
        }
        guard records > sizedFor else { return }
        sizedFor = records
        for keyPath in [\Self.times, \Self.received, \Self.messageLengths, \Self.sourceSizes] {
            self[keyPath: keyPath].bytes.reserveCapacity(records * 2)
        }
        for keyPath in [\Self.flags, \Self.facilities, \Self.hostIndexes, \Self.serviceIndexes, \Self.fieldCounts] {
            self[keyPath: keyPath].bytes.reserveCapacity(records)
        }
        messages.bytes.reserveCapacity(records * 100)
        fields.bytes.reserveCapacity(records * 32)
        meta.bytes.reserveCapacity(records * 8 + 256)
    }

    /// Appends each per-record column, length first, to `meta`.
    mutating func appendPerRecordColumnsToMeta() {
        for keyPath in Self.perRecord {
            meta.varint(self[keyPath: keyPath].count)
            meta.append(self[keyPath: keyPath].bytes)
        }
    }

    /// Lets the buffers go when they were sized for more than `records` records or hold more than
    /// `bytes` of room for messages, fields and meta, so that what is kept stays small: a syslog
    /// flood's 4,096-record blocks need about 1 MiB, a prompt commit's blocks up to 32,768 records
    /// or 4 MiB of messages.
    mutating func release(ifLargerThan records: Int, bytes: Int) {
        let room = messages.bytes.capacity + fields.bytes.capacity + meta.bytes.capacity
        if sizedFor > records || room > bytes { self = BlockColumns() }
    }

    /// The per-record columns in the order the block format stores them in `meta`.
    private static var perRecord: [WritableKeyPath<BlockColumns, ByteWriter>] {
        [\.times, \.received, \.flags, \.facilities, \.hostIndexes, \.serviceIndexes, \.messageLengths, \.fieldCounts, \.sourceSizes]
    }
}
