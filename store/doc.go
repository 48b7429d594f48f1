// Package store owns a site's bytes on disk: the embedded Pebble database
// that holds local state, and the helpers that write files so that a
// crash leaves either the old or the new content, never a mix.
//
// It must never know about the mesh or about other sites.
package store
