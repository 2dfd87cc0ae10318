package common

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

func TestTickEndsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan tea.Msg, 1)
	go func() { done <- Tick(ctx, time.Hour, func(time.Time) tea.Msg { return "fired" })() }()
	cancel()
	if msg := <-done; msg != nil {
		t.Fatalf("got %v after the context ended, want nothing", msg)
	}
	if msg := Tick(context.Background(), time.Millisecond, func(time.Time) tea.Msg { return "fired" })(); msg != "fired" {
		t.Fatalf("got %v, want fired", msg)
	}
}
