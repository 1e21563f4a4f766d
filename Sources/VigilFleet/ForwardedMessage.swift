import VigilNATS

/// The headers of a forwarded block (docs/fleet.md): how the central vigild knows which edge sent
/// it, in which order, and how the body is encoded.
public enum ForwardedMessage {
    /// The body's encoding: one store block, header and payload, as docs/segment-format.md says.
    public static let encoding = "vigil-block/1"

    public enum Header {
        /// JetStream's de-duplication key: `EDGE-ID:SEQUENCE`.
        public static let messageID = "Nats-Msg-Id"
        public static let encoding = "Vigil-Encoding"
        /// The edge's host name.
        public static let edge = "Vigil-Edge"
        /// The edge's id (one per data directory).
        public static let edgeID = "Vigil-Edge-Id"
        /// The message's place in the edge's sequence, from 1, without gaps.
        public static let sequence = "Vigil-Sequence"
        /// Records in the block.
        public static let records = "Vigil-Records"
    }

    /// The field the central vigild adds to each record it stores from a forwarded block:
    /// `EDGE-ID:SEQUENCE`, so that after a crash it finds which messages it had committed.
    public static let sequenceField = "_edge_seq"

    static func headers(edgeID: String, host: String, sequence: UInt64, records: Int) -> NATSHeaders {
        var headers = NATSHeaders()
        headers.append(Header.messageID, "\(edgeID):\(sequence)")
        headers.append(Header.encoding, encoding)
        headers.append(Header.edge, host)
        headers.append(Header.edgeID, edgeID)
        headers.append(Header.sequence, String(sequence))
        headers.append(Header.records, String(records))
        return headers
    }
}
