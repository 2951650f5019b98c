package conformance

import "testing"

// scenario is one check of the contract over a backend.
type scenario struct {
	name string
	run  func(t *testing.T, b *Backend)
}

// contract is every scenario, by topic, in the order Run runs them.
var contract = []struct {
	topic     string
	scenarios []scenario
}{
	// Every value written to the protected column is sealed before it
	// reaches the server, on every path, and reads back as written.
	{"writes", []scenario{
		{"exec_seals_parameters", execSealsParameters},
		{"shapes", shapes},
		{"dialect_shapes", dialectShapes},
		{"returning", returning},
		{"prepared_and_transactions", preparedAndTransactions},
		{"value_types", valueTypes},
		{"table_created_later", tableCreatedLater},
	}},
	// A result column that comes from the protected column is opened,
	// whatever the SQL calls it; any other column comes back as stored,
	// even when it holds a valid ciphertext.
	{"reads", []scenario{
		{"whatever_the_sql_calls_them", whateverTheSQLCallsThem},
		{"unprotected_ciphertext_not_opened", unprotectedCiphertextNotOpened},
		{"prepared_and_transactions", readsPreparedAndTransactions},
		{"scalar_subquery", scalarSubquery},
		{"null_and_empty", nullAndEmpty},
		{"driver_rows_do_not_forward_column_scanner", driverRowsDoNotForwardColumnScanner},
		{"unprotected_statements_behave_as_plain_driver", unprotectedBehaveAsPlain},
	}},
	// A statement that would write the protected column in a way sqlseal
	// cannot prove is sealed, or compare it, is refused before anything
	// reaches the server, and the refusal quotes nothing of it.
	{"refusals", []scenario{
		{"never_reach_server", neverReachServer},
		{"quote_nothing", quoteNothing},
		{"numeric_literals", numericLiterals},
	}},
	// What sqlseal does is reported to the configuration's Observer and
	// Logger, without values or SQL text.
	{"observe", []scenario{
		{"observer_and_logger", observed},
	}},
	// Which keys seal and open, rows written before encryption was turned
	// on, rotation, and the errors when a key is wrong or missing.
	{"keys", []scenario{
		{"legacy_plaintext", legacyPlaintext},
		{"previous_keys", previousKeys},
		{"wrong_key_at_connect", wrongKeyAtConnect},
		{"unknown_key_fails_naming_column", unknownKeyFailsNamingColumn},
		{"no_key", noKey},
		{"connectors_keep_their_own_keys", connectorsKeepTheirOwnKeys},
		{"disabled_with_previous_key_reads_both", disabledWithPreviousKeyReadsBoth},
	}},
	// A protected column of a type that holds ciphertext whole stores it
	// (base64 in text types, raw bytes in binary ones); any other type is
	// refused, at connect or when a table created later is first used,
	// and nothing is written.
	{"coltypes", []scenario{
		{"holds_ciphertext", holdsCiphertext},
		{"refused", refusedColumnTypes},
	}},
	// Classes of statement that once stored plaintext in a protected
	// column or opened an unprotected one, where sqlseal's reading of the
	// SQL could differ from the server's. After every statement the driver
	// lets through, the protected column is scanned with the plain driver.
	{"attacks", []scenario{
		{"forward_cte", forwardCTE},
		{"ddl", ddl},
		{"dynamic_sql", dynamicSQL},
		{"three_part_names", threePartNames},
		{"prepared_star_after_alter", preparedStarAfterAlter},
		{"prepared_after_temporary_table", preparedAfterTemporaryTable},
	}},
	// A blind-indexed protected column: every write keeps its term in the
	// sibling column, equality lookups are rewritten to the sibling, and
	// everything else that writes the sibling or compares the column is
	// refused. On a backend without the rewrites, both are refused.
	{"blindindex", []scenario{
		{"writes_keep_terms", blindIndexWrites},
		{"lookups", blindIndexLookups},
		{"unique_sibling", blindIndexUnique},
		{"refused", blindIndexRefused},
		{"missing_sibling", blindIndexMissingSibling},
		{"clients", blindIndexClients},
		{"index_key_rotation", blindIndexRotation},
		// Findings of the adversarial review (blindindex_attacks.go).
		{"attack_update_from_other_row", blindIndexUpdateFromOtherRow},
		{"attack_compare_outside_where", blindIndexCompareOutsideWhere},
		{"attack_unique_violation_detail", blindIndexUniqueViolationDetail},
		{"attack_rotation_parenthesized", blindIndexRotationParenthesized},
		{"attack_rotation_sqlite_params", blindIndexRotationSQLiteParams},
		{"attack_normalize_invalid_utf8", blindIndexNormalizeInvalidUTF8},
		{"attack_rotation_unique", blindIndexRotationUnique},
		{"attack_rotation_prepared_lookup", blindIndexRotationPreparedLookup},
		{"attack_parenthesized_write", blindIndexParenthesizedWrite},
		{"attack_parenthesized_upsert", blindIndexParenthesizedUpsert},
		{"attack_sibling_is_protected", blindIndexSiblingIsProtected},
	}},
	// The libraries applications use over database/sql work through
	// sqlseal unchanged.
	{"clients", []scenario{
		{"sqlx", sqlxScenario},
		{"gorm", gormScenario},
		{"adoption_by_driver_name", adoptionByDriverName},
	}},
}

// Run runs every scenario against b, as subtests named
// <topic>/<scenario> (TestConformance/writes/exec_seals_parameters).
//
// With a key table (WithKeyTable), the keys topic does not run: it is the
// contract of the Metabase keyring (previous keys, a wrong or missing
// secret), and the key table's own is integration_test/envelope_test.go.
func Run(t *testing.T, b *Backend) {
	for _, g := range contract {
		if g.topic == "keys" && b.DataKeys != nil {
			continue
		}
		t.Run(g.topic, func(t *testing.T) {
			for _, s := range g.scenarios {
				t.Run(s.name, func(t *testing.T) { s.run(t, b) })
			}
		})
	}
}
