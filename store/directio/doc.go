// Package directio writes large files past the page cache (O_DIRECT on
// Linux), for bytes that are written once and then synced: restored
// files, shards, and (through SetDirect and AlignedBlock) chunk segments.
// It also reads whole files direct (ReadFile, ReadFileTo), and ranges
// of a file opened direct (ReadAtTo).
//
// Why: a buffered write into newly allocated blocks costs the kernel far
// more CPU than the copy itself (on the benchmark VM, 2.2 s of system
// time per GiB, against 0.16 s for the same bytes written direct; see
// BENCHMARKS.md), and a file that is fsynced anyway gains nothing from
// the page cache but the chance to be read back soon.
//
// A Writer gathers bytes in an aligned buffer and writes whole aligned
// blocks direct (one in flight while the next fills); the unaligned tail
// goes through the page cache at Flush.
//
// Where the file system refuses O_DIRECT (some FUSE and network file
// systems, tmpfs before Linux 6.6) or the platform has none, every byte
// goes through the page cache: the file's content is the same either way.
//
// It must never decide durability: callers still sync (direct writes
// skip the page cache, not the device's cache or the file's metadata).
package directio
