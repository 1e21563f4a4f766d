import CVigilSocket
import Glibc

/// The buffers of one `recvmmsg` call: `capacity` slots of `slotBytes` each, their `iovec`s and
/// message headers, and each datagram's sender address. A datagram longer than its slot is cut by
/// the kernel, which flags it (`MSG_TRUNC`).
///
/// Owned by the one thread that reads the socket; not shared.
final class DatagramBatch {
    private let capacity: Int
    private let slotBytes: Int
    private let buffer: UnsafeMutableRawBufferPointer
    private let vectors: UnsafeMutableBufferPointer<iovec>
    private let headers: UnsafeMutableBufferPointer<vigil_mmsghdr>
    private let senders: UnsafeMutableBufferPointer<sockaddr_storage>

    init(capacity: Int, slotBytes: Int) {
        self.capacity = capacity
        self.slotBytes = slotBytes
        buffer = .allocate(byteCount: capacity * slotBytes, alignment: 16)
        vectors = .allocate(capacity: capacity)
        headers = .allocate(capacity: capacity)
        senders = .allocate(capacity: capacity)
        senders.initialize(repeating: sockaddr_storage())
        for index in 0..<capacity {
            vectors.initializeElement(at: index, to: iovec(iov_base: buffer.baseAddress! + index * slotBytes, iov_len: slotBytes))
            var header = msghdr()
            header.msg_name = UnsafeMutableRawPointer(senders.baseAddress! + index)
            header.msg_iov = vectors.baseAddress! + index
            header.msg_iovlen = 1
            headers.initializeElement(at: index, to: vigil_mmsghdr(msg_hdr: header, msg_len: 0))
        }
    }

    deinit {
        buffer.deallocate()
        vectors.deallocate()
        headers.deallocate()
        senders.deallocate()
    }

    /// Reads up to `capacity` datagrams without waiting; returns how many were read, 0 when none
    /// was waiting.
    func read(from descriptor: CInt) throws(UDPSocket.Failure) -> Int {
        for index in 0..<capacity {
            headers[index].msg_hdr.msg_namelen = socklen_t(MemoryLayout<sockaddr_storage>.size)
        }
        while true {
            let read = vigil_recvmmsg(descriptor, headers.baseAddress, UInt32(capacity), CInt(MSG_DONTWAIT))
            if read >= 0 { return Int(read) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return 0
            default: throw UDPSocket.Failure(operation: "recvmmsg", code: errno)
            }
        }
    }

    /// The bytes of datagram `index` of the last read.
    func bytes(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: buffer.baseAddress!.advanced(by: index * slotBytes).assumingMemoryBound(to: UInt8.self),
                            count: Int(headers[index].msg_len))
    }

    /// Whether datagram `index` was longer than its slot and cut.
    func isTruncated(_ index: Int) -> Bool {
        headers[index].msg_hdr.msg_flags & CInt(MSG_TRUNC) != 0
    }

    /// The sender of datagram `index`.
    func sender(_ index: Int) -> UnsafePointer<sockaddr_storage> {
        UnsafePointer(senders.baseAddress! + index)
    }
}
