package codec_test

import (
	"errors"
	"fmt"

	"github.com/sqlseal/sqlseal/codec"
)

func ExampleDeriveKey() {
	// In production the secret comes from the environment, for example
	// MB_ENCRYPTION_SECRET_KEY; `sqlseal genkey` makes a good one.
	key, err := codec.DeriveKey("legacy-golden-test-key-0000000000000000000")
	if err != nil {
		panic(err)
	}
	// A value Metabase itself encrypted with that secret.
	plaintext, err := key.OpenText("ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA==")
	fmt.Printf("%s %v\n", plaintext, err)

	_, err = codec.DeriveKey("too short")
	fmt.Println(errors.Is(err, codec.ErrKeyTooShort))
	// Output:
	// legacy golden <nil>
	// true
}

func ExampleKey_SealText() {
	key, err := codec.DeriveKey("an example secret of 16+ characters")
	if err != nil {
		panic(err)
	}
	sealed := key.SealText([]byte(`{"password":"hunter2"}`))
	fmt.Println(codec.LooksSealed(sealed), len(sealed))

	plaintext, err := key.OpenText(sealed)
	fmt.Printf("%s %v\n", plaintext, err)
	// Output:
	// true 108
	// {"password":"hunter2"} <nil>
}

func ExampleKeyring() {
	oldKey, err := codec.DeriveKey("the secret we are rotating away from")
	if err != nil {
		panic(err)
	}
	newKey, err := codec.DeriveKey("the secret we are rotating to")
	if err != nil {
		panic(err)
	}
	writtenLastYear := oldKey.SealText([]byte(`{"host":"db"}`))

	// The new key seals; the old one still opens what it sealed.
	ring := codec.NewKeyring(newKey, oldKey)
	plaintext, keyIndex, err := ring.OpenText(writtenLastYear)
	fmt.Printf("%s key=%d err=%v\n", plaintext, keyIndex, err)
	if keyIndex != 0 {
		resealed, _ := ring.SealText(plaintext)
		_, keyIndex, _ = ring.OpenText(resealed)
		fmt.Println("after re-sealing: key =", keyIndex)
	}

	// Values written before encryption was turned on are not sealed.
	_, _, err = ring.OpenText(`{"host":"db"}`)
	fmt.Println(errors.Is(err, codec.ErrNotSealed))
	// Output:
	// {"host":"db"} key=1 err=<nil>
	// after re-sealing: key = 0
	// true
}

func ExampleLooksSealed() {
	fmt.Println(codec.LooksSealed(`{"host":"localhost","port":5432}`))
	fmt.Println(codec.LooksSealed("ttCPpQ92by4mOXOJBbhRE28T4c9WN02MBnHrnucZZ69tLceopuoUpgAy/eB2fAyqWZaFHPsuEaXGCdFwQKY9rA=="))
	// Output:
	// false
	// true
}
