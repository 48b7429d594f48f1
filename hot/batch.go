package hot

// stageLimit is how large a write's or a replica's Pebble batch may grow
// before it is committed on its own. The batch holds chunk locations and
// the bytes of small chunks kept inline (large ones go to segments), so
// a file of well-compressed chunks could otherwise grow it without
// bound; committing at 16 MiB keeps a multi-GiB file's memory bounded.
const stageLimit = 16 << 20
