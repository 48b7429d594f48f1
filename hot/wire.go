package hot

import (
	"io"

	"github.com/meshvault/meshvault/wire"
)

// Frame types of the replication protocol.
const (
	frameHello    byte = 'H' // primary → replica: who I am, epoch, log bounds
	frameHelloAck byte = 'h' // replica → primary: my position
	frameOp       byte = 'O' // primary → replica: one log op
	frameEntry    byte = 'E' // primary → replica: one tree entry (state transfer)
	frameStateEnd byte = 'S' // primary → replica: end of state transfer
	frameNeed     byte = 'N' // replica → primary: chunk hashes it lacks
	frameChunk    byte = 'C' // primary → replica: one chunk, in its stored form (store.Codec)
	frameAck      byte = 'A' // replica → primary: applied up to a position
)

type conn = wire.Conn

func newConn(rw io.ReadWriter) *conn { return wire.NewConn(rw) }
