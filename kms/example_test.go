package kms_test

import (
	"context"
	"fmt"

	_ "gocloud.dev/secrets/localsecrets" // base64key://

	"github.com/sqlseal/sqlseal/config"
	_ "github.com/sqlseal/sqlseal/kms"
)

// An application that keeps its master key in a KMS imports kms and the
// keeper of its URL scheme, and sets SQLSEAL_KEK_URL (or Config.KEKURL).
// The key table records the key by an id without its secret.
func Example() {
	cfg := config.Config{
		KEKURL:  "base64key://smGbjm71Nxd1Ig5FS0wj9SlbzAIrnolCz9bQQ6uAhl4=",
		Columns: []string{"accounts.api_token"},
	}
	master, err := cfg.MasterKey(context.Background())
	if err != nil {
		panic(err)
	}
	fmt.Println(master.ID())
	// Output: base64key:4c288349
}
