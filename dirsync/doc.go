// Package dirsync ties a hot dataset to a plain directory on this
// site's machine.
//
// A Source follows a directory on the dataset's primary (fsnotify plus
// a periodic rescan) and writes its new, changed, renamed and deleted
// files into the dataset, taking a file only once its size and mtime
// have been stable for a while.
//
// A Mirror keeps a directory on a site holding a copy equal to the
// dataset, replacing each file atomically (temporary file, fsync,
// rename), so applications at a DR site can start from it.
//
// dirsync owns only those directories. It must never write outside
// them (every path goes through hot.CleanPath and an os.Root), never
// change a mirror's dataset, never touch a mirror directory that was
// not empty when it started, and never block the engine's Watch
// callback.
package dirsync
