package api

// Token events reach every listener: the source keeps one buffered channel
// per subscriber (Events is the one made with the source) and hands each
// event to all of them. A listener that does not read loses its oldest
// events, never blocks the refresher or the other listeners.

// Events delivers session events from the source's start: the channel is
// buffered from NewJWTSource on, so events before the first read are kept
// (up to the buffer; then the oldest are dropped). It is closed by Close.
// Code that shares a source among several listeners uses Subscribe.
func (s *JWTSource) Events() <-chan TokenEvent { return s.events }

// Subscribe returns a channel of every event from now on and a function
// that ends the subscription and closes the channel. Each subscriber gets
// every event, buffered like Events; Close closes all the channels. Calling
// the function again, or after Close, does nothing; a subscription made after
// Close is a closed channel.
func (s *JWTSource) Subscribe() (<-chan TokenEvent, func()) {
	ch := make(chan TokenEvent, eventBuffer)
	s.evMu.Lock()
	defer s.evMu.Unlock()
	if s.evClosed {
		close(ch)
		return ch, func() {}
	}
	s.subs[ch] = struct{}{}
	return ch, func() {
		s.evMu.Lock()
		defer s.evMu.Unlock()
		if _, ok := s.subs[ch]; ok {
			delete(s.subs, ch)
			close(ch)
		}
	}
}

// emit hands ev to every subscriber, dropping a subscriber's oldest buffered
// event when its buffer is full. After Close it does nothing.
func (s *JWTSource) emit(ev TokenEvent) {
	s.evMu.Lock()
	defer s.evMu.Unlock()
	for ch := range s.subs {
		deliver(ch, ev)
	}
}

// deliver sends ev on ch without blocking: when the buffer is full the oldest
// event goes. The caller holds evMu, so it is the only sender and the loop
// ends (a reader only makes room).
func deliver(ch chan TokenEvent, ev TokenEvent) {
	for {
		select {
		case ch <- ev:
			return
		default:
		}
		select {
		case <-ch:
		default:
		}
	}
}

// closeSubscriptions closes every event channel, once.
func (s *JWTSource) closeSubscriptions() {
	s.evMu.Lock()
	defer s.evMu.Unlock()
	if s.evClosed {
		return
	}
	s.evClosed = true
	for ch := range s.subs {
		close(ch)
	}
	s.subs = nil
}
