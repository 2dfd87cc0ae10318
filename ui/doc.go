// Package ui is konto's root model: it routes every message to the
// component that asked for it (model.go), holds the main pane's tabs
// (tabs.go), the pane manager for sizes and focus (layout.go), the drawing
// (view.go), the keys that work where (actions.go, payments.go, mouse.go)
// and the ? help. Components live in ui/<name>; the contracts they keep
// (Pane, Tab, Modal) and what they share in ui/common.
package ui
