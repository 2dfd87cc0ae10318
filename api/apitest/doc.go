// Package apitest holds test helpers for the api package and its contract
// tests: comparing the JSON shape of an answer with the API doc's example,
// the tests' fixed clock (Now), and Basic auth for reading the sandbox.
package apitest
