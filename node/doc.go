// Package node is the meshnode daemon: the one place where a site's
// components (local store, mesh, API) are assembled, started and stopped.
// Constructing a Node starts nothing; Start does; Leave tells the mesh
// the site is going; Shutdown stops it.
//
// It must never hold the logic of a component: it wires them and serves
// them over the authenticated HTTP API.
package node
