// Package erasure holds the pure building blocks of erasure-coded
// snapshots: choosing a K+M scheme from the mesh size (Scheme), sealing
// chunks with zstd and XChaCha20-Poly1305 under a key derived from the mesh
// key and the dataset (DeriveKey, Sealer), cutting a pack into K+M
// self-checking Reed-Solomon shards and rebuilding it from any K of them
// (Encode, Verify, Decode), and placing shards on sites by rendezvous
// hashing, zones first (Place), with how many site losses that survives
// (Survives). Nothing here touches the network or the disk.
package erasure
