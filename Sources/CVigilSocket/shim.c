#define _GNU_SOURCE
#include <stddef.h>
#include <sys/socket.h>
#include "CVigilSocket.h"

_Static_assert(sizeof(struct vigil_mmsghdr) == sizeof(struct mmsghdr), "struct mmsghdr changed size");
_Static_assert(offsetof(struct vigil_mmsghdr, msg_len) == offsetof(struct mmsghdr, msg_len), "struct mmsghdr changed layout");

int vigil_recvmmsg(int fd, struct vigil_mmsghdr *messages, unsigned int count, int flags) {
    return recvmmsg(fd, (struct mmsghdr *)messages, count, flags, NULL);
}
