// CRC-32C with the CPU's crc32 instruction (x86-64 SSE 4.2): the store checksums every block
// it writes and reads.
#include <stddef.h>
#include <stdint.h>

/// Whether this CPU has the instruction; when it has not, `vigil_crc32c_hardware` must not be called.
int vigil_crc32c_hardware_available(void);

/// The CRC-32C of `length` bytes at `bytes`, continuing from `crc` (0 to start).
uint32_t vigil_crc32c_hardware(uint32_t crc, const void *bytes, size_t length);
