package api

import (
	"context"
	"runtime"
	"sync"
	"testing"
	"time"
)

// receive waits for the next event on ch (a generous deadline, never a sleep).
func receive(t *testing.T, ch <-chan TokenEvent) (TokenEvent, bool) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		return ev, ok
	case <-time.After(10 * time.Second):
		t.Fatal("no event")
		return TokenEvent{}, false
	}
}

func TestEverySubscriberGetsEveryEvent(t *testing.T) {
	s, err := NewJWTSource("https://bank.example", "r")
	if err != nil {
		t.Fatal(err)
	}
	a, endA := s.Subscribe()
	b, endB := s.Subscribe()
	defer endA()
	defer endB()
	for i := range 3 {
		s.emit(TokenEvent{Kind: TokenRefreshed, Expires: time.Unix(int64(i), 0)})
	}
	for name, ch := range map[string]<-chan TokenEvent{"a": a, "b": b, "Events": s.Events()} {
		for i := range 3 {
			ev, ok := receive(t, ch)
			if !ok || ev.Expires.Unix() != int64(i) {
				t.Errorf("%s: event %d = %v (open %v)", name, i, ev, ok)
			}
		}
	}
}

func TestSubscribeSeesOnlyLaterEvents(t *testing.T) {
	s, err := NewJWTSource("https://bank.example", "r")
	if err != nil {
		t.Fatal(err)
	}
	s.emit(TokenEvent{Kind: TokenRefreshFailed})
	ch, end := s.Subscribe()
	s.emit(TokenEvent{Kind: TokenRefreshed})
	end()
	var got []TokenEventKind
	for ev := range ch {
		got = append(got, ev.Kind)
	}
	if len(got) != 1 || got[0] != TokenRefreshed {
		t.Errorf("got %v, want only the event after Subscribe", got)
	}
}

func TestUnsubscribeClosesAndStopsDelivery(t *testing.T) {
	s, err := NewJWTSource("https://bank.example", "r")
	if err != nil {
		t.Fatal(err)
	}
	gone, end := s.Subscribe()
	kept, endKept := s.Subscribe()
	defer endKept()
	end()
	end() // again: nothing
	if _, ok := receive(t, gone); ok {
		t.Error("an ended subscription's channel is open")
	}
	s.emit(TokenEvent{Kind: LoginNeeded}) // no send on the closed channel
	if ev, ok := receive(t, kept); !ok || ev.Kind != LoginNeeded {
		t.Errorf("the other subscriber got %v (open %v)", ev, ok)
	}
}

func TestCloseEndsEverySubscription(t *testing.T) {
	s, err := NewJWTSource("https://bank.example", "r")
	if err != nil {
		t.Fatal(err)
	}
	a, endA := s.Subscribe()
	s.Close()
	if _, ok := receive(t, a); ok {
		t.Error("a subscription is open after Close")
	}
	if _, ok := receive(t, s.Events()); ok {
		t.Error("Events is open after Close")
	}
	endA() // after Close: nothing, no double close
	late, endLate := s.Subscribe()
	if _, ok := receive(t, late); ok {
		t.Error("a subscription made after Close is open")
	}
	endLate()
	s.emit(TokenEvent{Kind: TokenRefreshed}) // after Close: dropped, no panic
}

func TestSubscriptionsKeepNoGoroutine(t *testing.T) {
	s, err := NewJWTSource("https://bank.example", "r")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := runtime.NumGoroutine()
	var ends []func()
	for range 50 {
		_, end := s.Subscribe()
		ends = append(ends, end)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines with 50 subscriptions, %d before", n, before)
	}
	for _, end := range ends {
		end()
	}
	s.evMu.Lock()
	defer s.evMu.Unlock()
	if len(s.subs) != 1 { // Events' own
		t.Errorf("%d subscriptions left, want only Events'", len(s.subs))
	}
}

// TestSubscribeRace runs subscribing, reading, ending, emitting and Close at
// once; -race and the absence of a panic are the assertion, with each reader
// seeing its channel closed in the end.
func TestSubscribeRace(t *testing.T) {
	_, srv, refresh := newTokenBank(t, time.Hour)
	s := newSource(t, srv.URL, refresh)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s.Start(ctx)
	var wg sync.WaitGroup
	stopEmit := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stopEmit:
				return
			default:
				s.emit(TokenEvent{Kind: TokenRefreshFailed})
			}
		}
	}()
	var readers sync.WaitGroup
	for i := range 8 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			ch, end := s.Subscribe()
			if i%2 == 0 {
				end()
			}
			for range ch { // ends when end or Close closes it
				if i%3 == 0 {
					end()
				}
			}
		}()
	}
	go func() {
		_ = s.Refresh(ctx)
		s.Close()
	}()
	readers.Wait()
	close(stopEmit)
	wg.Wait()
}
