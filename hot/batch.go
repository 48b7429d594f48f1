package hot

// stageLimit is how many bytes of chunks a write or a replica stages in
// one Pebble batch before committing it: large enough that fsyncs are
// rare next to the data, small enough that a multi-GiB file costs a
// bounded amount of memory.
const stageLimit = 16 << 20
