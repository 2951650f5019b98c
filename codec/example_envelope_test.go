package codec_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
)

func ExampleDataKey() {
	// In production data keys come from the key table (UnwrapDataKey); a
	// fixed key keeps this example's output the same on every run.
	key, err := codec.NewDataKey(7, bytes.Repeat([]byte{0x42}, codec.DataKeyLen))
	if err != nil {
		panic(err)
	}
	const label = "metabase_database.details"
	sealed := key.SealText([]byte(`{"password":"hunter2"}`), label)
	fmt.Println(sealed[:5], codec.LooksEnvelope(sealed), len(sealed))

	keys, err := codec.NewDataKeySet(key)
	if err != nil {
		panic(err)
	}
	plaintext, by, err := codec.OpenStoredText(sealed, label, keys, nil)
	fmt.Printf("%s opened by %v, err=%v\n", plaintext, by, err)
	fmt.Println("key id:", by.KeyID)

	// The value is bound to its column: it does not open in another one.
	_, _, err = codec.OpenStoredText(sealed, "core_user.reset_token", keys, nil)
	fmt.Println(errors.Is(err, codec.ErrNotAuthentic), errors.Is(err, codec.ErrCannotOpen))
	// Output:
	// U1FTA true 80
	// {"password":"hunter2"} opened by envelope key 7, err=<nil>
	// key id: 7
	// true true
}

func ExampleOpenStoredText() {
	secret, err := codec.DeriveKey("legacy-golden-test-key-0000000000000000000")
	if err != nil {
		panic(err)
	}
	ring := codec.NewKeyring(secret)
	dataKey, err := codec.NewDataKey(1, bytes.Repeat([]byte{1}, codec.DataKeyLen))
	if err != nil {
		panic(err)
	}
	keys, err := codec.NewDataKeySet(dataKey)
	if err != nil {
		panic(err)
	}
	const label = "metabase_database.details"
	for _, stored := range []string{
		// Written by Metabase with the secret.
		"ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA==",
		// Written with the data key since the key table exists.
		dataKey.SealText([]byte("envelope"), label),
		// Written before encryption was turned on.
		`{"host":"db"}`,
	} {
		plaintext, by, err := codec.OpenStoredText(stored, label, keys, ring)
		switch {
		case errors.Is(err, codec.ErrNotSealed):
			fmt.Println("not sealed")
		case err != nil:
			fmt.Println("error:", err)
		default:
			fmt.Printf("%s (%v, re-seal: %v)\n", plaintext, by, by.Format != codec.FormatEnvelope || by.KeyID != keys.Active().ID())
		}
	}
	// Output:
	// legacy golden (metabase key 0, re-seal: true)
	// envelope (envelope key 1, re-seal: false)
	// not sealed
}

func ExampleNewSecretKEK() {
	secret, err := codec.DeriveKey("an example secret of 16+ characters")
	if err != nil {
		panic(err)
	}
	kek, err := codec.NewSecretKEK(secret)
	if err != nil {
		panic(err)
	}
	// The kek column of the key table.
	fmt.Println(kek.ID())

	// A new data key for the key table: store id, kek.ID() and wrapped.
	ctx := context.Background()
	dataKey, wrapped, err := codec.GenerateDataKey(ctx, kek, 1)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(wrapped))

	// Any process with the same secret unwraps it.
	again, err := codec.UnwrapDataKey(ctx, kek, 1, wrapped)
	if err != nil {
		panic(err)
	}
	plaintext, err := again.Open(dataKey.Seal([]byte("hello"), "t.c"), "t.c")
	fmt.Printf("%s %v\n", plaintext, err)
	// Output:
	// secret:f54089ec
	// 60
	// hello <nil>
}

func ExampleIndexKey() {
	root := bytes.Repeat([]byte{7}, codec.IndexKeyLen) // from the key table in production
	index, err := codec.NewIndexKey(root)
	if err != nil {
		panic(err)
	}
	a := index.Term([]byte("alice@example.com"), "core_user.email")
	b := index.Term([]byte("alice@example.com"), "core_user.email")
	c := index.Term([]byte("alice@example.com"), "core_user.login")
	fmt.Println(len(a), bytes.Equal(a, b), bytes.Equal(a, c))
	// Output:
	// 33 true false
}
