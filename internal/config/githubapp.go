package config

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"strconv"
	"strings"
)

// gitHubApp returns the GitHub App's configuration, or nil when it is unset or
// invalid.
func (l *loader) gitHubApp() *GitHubApp {
	before := len(l.problems)
	appID := l.get("GITHUB_APP_ID")
	installationID := l.get("GITHUB_APP_INSTALLATION_ID")
	key := l.secret("GITHUB_APP_PRIVATE_KEY")
	if appID == "" && installationID == "" && !key.set {
		return nil
	}

	l.requireAll("the GitHub App needs GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID and "+
		"GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE), or none of them",
		member{"GITHUB_APP_ID", appID != ""},
		member{"GITHUB_APP_INSTALLATION_ID", installationID != ""},
		member{key.source, key.set},
	)
	app := &GitHubApp{
		AppID: l.positiveID("GITHUB_APP_ID", appID,
			"the App ID is on the GitHub App's settings page"),
		InstallationID: l.positiveID("GITHUB_APP_INSTALLATION_ID", installationID,
			"the installation ID ends the URL of the installation's settings page"),
		PrivateKey: l.privateKey(key),
	}
	if len(l.problems) > before {
		return nil
	}
	return app
}

// positiveID parses value, when it is set, as a positive integer, with hint
// saying where to find the right one.
func (l *loader) positiveID(variable, value, hint string) int64 {
	if value == "" {
		return 0
	}
	id, err := strconv.ParseInt(value, 10, 64)
	if err != nil || id <= 0 {
		l.addf(variable, "%q is not a positive whole number; %s", value, hint)
		return 0
	}
	return id
}

// privateKey returns the App's private key, when it is set, after checking
// that it is a PEM-encoded RSA private key. No message quotes the key.
func (l *loader) privateKey(key secretValue) []byte {
	if key.value == "" {
		return nil
	}
	if problem := rsaKeyProblem([]byte(key.value)); problem != "" {
		l.addf(key.source, "%s (the key is not shown); use the .pem file that GitHub "+
			"generated for the App, which starts with -----BEGIN RSA PRIVATE KEY-----",
			problem)
		return nil
	}
	return []byte(key.value)
}

// rsaKeyProblem says why pemBytes is not a PEM-encoded PKCS#1 or PKCS#8 RSA
// private key, or returns "". Messages describe the key but never quote it.
func rsaKeyProblem(pemBytes []byte) string {
	block, _ := pem.Decode(pemBytes)
	switch {
	case block == nil:
		return "holds no PEM block (if its line breaks were lost on the way into the " +
			"variable, put the key in a file and name it in GITHUB_APP_PRIVATE_KEY_FILE)"
	case strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED"),
		block.Type == "ENCRYPTED PRIVATE KEY":
		return "is encrypted with a passphrase, which the portal cannot use"
	case block.Type == "RSA PRIVATE KEY":
		if _, err := x509.ParsePKCS1PrivateKey(block.Bytes); err != nil {
			return "holds an RSA PRIVATE KEY block that does not parse as a PKCS#1 key"
		}
		return ""
	case block.Type == "PRIVATE KEY":
		return pkcs8RSAProblem(block.Bytes)
	}
	return fmt.Sprintf("holds a %q PEM block, not an RSA PRIVATE KEY (PKCS#1) or "+
		"PRIVATE KEY (PKCS#8) block", block.Type)
}

// pkcs8RSAProblem says why der is not a PKCS#8 RSA private key, or returns "".
func pkcs8RSAProblem(der []byte) string {
	key, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return "holds a PRIVATE KEY block that does not parse as a PKCS#8 key"
	}
	if _, ok := key.(*rsa.PrivateKey); !ok {
		return fmt.Sprintf("holds a PKCS#8 key of type %T; the App's key must be RSA", key)
	}
	return ""
}
