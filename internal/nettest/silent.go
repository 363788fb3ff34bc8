// Package nettest holds network fakes for tests that no protocol-specific fake covers.
package nettest

import (
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Endpoint is a running fake endpoint.
type Endpoint struct {
	// Addr is the listener's "host:port".
	Addr string

	accepted atomic.Int32
}

// Accepted is the number of connections accepted so far.
func (e *Endpoint) Accepted() int { return int(e.accepted.Load()) }

// Silent starts a TCP listener on loopback that accepts every connection and never
// answers: the endpoint that makes a client without deadlines hang. The listener and
// every accepted connection are closed when the test ends.
func Silent(t testing.TB) *Endpoint {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	e := &Endpoint{Addr: ln.Addr().String()}
	var (
		mu    sync.Mutex
		conns []net.Conn
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			e.accepted.Add(1)
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return e
}
