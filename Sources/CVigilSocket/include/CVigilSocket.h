// recvmmsg(2), which glibc's <sys/socket.h> declares only with _GNU_SOURCE (so Swift's Glibc module
// lacks it): the UDP input reads a batch of datagrams per system call with it.
#include <sys/socket.h>

/// One datagram of a batch: glibc's `struct mmsghdr` (the layout is checked in the shim).
struct vigil_mmsghdr {
    struct msghdr msg_hdr;
    unsigned int msg_len;
};

/// recvmmsg(2) without a timeout: the number of datagrams read, or -1 with errno set.
int vigil_recvmmsg(int fd, struct vigil_mmsghdr *messages, unsigned int count, int flags);
