#ifndef P2PCHAT_CGLIBCEXTRAS_SHIM_H
#define P2PCHAT_CGLIBCEXTRAS_SHIM_H
#ifdef __linux__
#include <malloc.h>
#include <stdint.h>

/*
 * What Swift's Glibc module leaves out: <malloc.h> (mallopt, malloc_trim), and
 * sync_file_range, which <fcntl.h> declares only under _GNU_SOURCE (a macro
 * that cannot reach a header built as part of another module).
 */

/* malloc's threshold above which a block gets pages of its own, given back when freed. */
static inline int p2p_set_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

/* Hands the free pages of every malloc heap back to the system. */
static inline int p2p_malloc_trim(void) {
    return malloc_trim(0);
}

int sync_file_range(int fd, int64_t offset, int64_t count, unsigned int flags);

enum {
    P2P_SYNC_FILE_RANGE_WAIT_BEFORE = 1,
    P2P_SYNC_FILE_RANGE_WRITE = 2,
    P2P_SYNC_FILE_RANGE_WAIT_AFTER = 4,
};

/* Starts writeback of a range, or with the wait flags also waits for it. */
static inline int p2p_sync_file_range(int fd, int64_t offset, int64_t count, unsigned int flags) {
    return sync_file_range(fd, offset, count, flags);
}
#endif
#endif
