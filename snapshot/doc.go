// Package snapshot owns erasure-coded, versioned snapshots of hot
// datasets: taking one from a consistent view of a site's copy
// (deduplicated chunks, compressed, encrypted, packed, Reed-Solomon coded
// into shards placed on distinct sites), the catalog replicated to every
// site, restoring from any k shards of each pack, and keeping the
// shards whole: repair after lost sites, scrub of the shards on alive ones.
//
// It must never write outside the directory a restore was given, never
// overwrite a file unless told to, and never let a partial file look
// complete.
package snapshot
