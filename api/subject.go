package api

// TokenSubject is the subject ("sub") a JWT names, read without verifying
// the signature (only the bank can): in a refresh token it identifies the
// user the session belongs to (a user id at the bank, the login in the
// sandbox), stable across logins. It answers "" for a token that is not a
// JWT or names no subject. The string is as the token has it: not for a
// screen without sanitising.
func TokenSubject(token string) string {
	claims, err := unverifiedClaims(token)
	if err != nil {
		return ""
	}
	sub, err := claims.GetSubject()
	if err != nil {
		return ""
	}
	return sub
}
