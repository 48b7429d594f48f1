// Package api is the node's HTTP/JSON API as its clients see it: the
// request and response types, and a Client that meshctl and tests use.
// It must never import the daemon's packages, so that meshctl stays a
// thin client.
package api

// Version is the meshvault release both binaries report.
const Version = "0.1.0-dev"
