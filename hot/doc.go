// Package hot owns hot datasets: a tree of files with one writable
// primary site and designated replica sites that hold a full, current
// copy. It keeps each site's copy (an operation log, the tree, chunks
// stored once per site), ships the log from the primary to the replicas
// over libp2p (sync or async), elects a new primary when the old one
// dies, and records the writes a fenced old primary accepted as
// conflicts.
//
// It must never merge or drop a conflicting write silently, and never
// let two sites accept writes for a dataset in one epoch.
package hot
