package main

// The command opens every master key URL ENVELOPE.md names: package kms
// registers gocloud.dev/secrets as the opener of SQLSEAL_KEK_URL (and of
// keys rewrap --to), and each keeper package its URL scheme. Applications
// link only the keepers they import.
import (
	_ "gocloud.dev/secrets/awskms"        // awskms://
	_ "gocloud.dev/secrets/azurekeyvault" // azurekeyvault://
	_ "gocloud.dev/secrets/gcpkms"        // gcpkms://
	_ "gocloud.dev/secrets/hashivault"    // hashivault:// (Vault transit)
	_ "gocloud.dev/secrets/localsecrets"  // base64key://

	_ "github.com/sqlseal/sqlseal/kms"
)
