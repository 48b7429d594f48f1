package node

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/p2p/net/gostream"

	"github.com/meshvault/meshvault/mesh"
)

// PeerAPIProtocol carries the dataset API between sites over libp2p, so
// a request made at any site reaches the one that must serve it. Only
// mesh members get through the gater; no token is needed between sites.
const PeerAPIProtocol = "/meshvault/api/1.0.0"

// forwardedHeader marks a request that one site already forwarded: it
// is never forwarded again, so a stale view cannot make a loop.
const forwardedHeader = "X-Meshvault-Forwarded-By"

// servePeerAPI serves the dataset handlers to other sites.
func (n *Node) servePeerAPI(h http.Handler) error {
	ln, err := gostream.Listen(n.mesh.Host(), PeerAPIProtocol)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	n.mu.Lock()
	n.peerSrv = srv
	n.mu.Unlock()
	go srv.Serve(ln)
	return nil
}

// peerTransport dials "site:80" as a libp2p stream to that site.
func peerTransport(m *mesh.Mesh) *http.Transport {
	return &http.Transport{
		DialContext: func(ctx context.Context, _, addr string) (net.Conn, error) {
			site, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			st, err := m.OpenStream(ctx, site, PeerAPIProtocol)
			if err != nil {
				return nil, err
			}
			return streamConn{st}, nil
		},
		MaxIdleConnsPerHost: 4,
		IdleConnTimeout:     30 * time.Second,
	}
}

// forward proxies the request, body streamed both ways, to site.
func (n *Node) forward(w http.ResponseWriter, r *http.Request, site string) {
	if by := r.Header.Get(forwardedHeader); by != "" {
		writeError(w, http.StatusConflict, "request forwarded by "+by+" reached "+n.id.Site+", which cannot serve it either: the dataset's primary is changing, retry")
		return
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(&url.URL{Scheme: "http", Host: site + ":80"})
			pr.Out.Header.Set(forwardedHeader, n.id.Site)
			pr.Out.Header.Del("Authorization")
		},
		Transport:     n.peerHTTP,
		FlushInterval: -1,
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
			writeError(w, http.StatusBadGateway, "forward to "+site+": "+err.Error())
		},
	}
	proxy.ServeHTTP(w, r)
}

// streamConn is a libp2p stream as a net.Conn.
type streamConn struct{ network.Stream }

func (c streamConn) LocalAddr() net.Addr  { return peerAddr(c.Conn().LocalPeer().String()) }
func (c streamConn) RemoteAddr() net.Addr { return peerAddr(c.Conn().RemotePeer().String()) }

type peerAddr string

func (a peerAddr) Network() string { return "libp2p" }
func (a peerAddr) String() string  { return string(a) }
