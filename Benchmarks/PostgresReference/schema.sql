-- Benchmarks/PostgresReference/schema.sql: the plainest fast SQL ledger, the bar of issue 24.
--
-- Accounts with a balance, one row per transfer, two entries per transfer, and one function
-- that books a transfer. No authentication, no audit, no idempotency: what is left is the
-- work any ledger on PostgreSQL must do per transfer, and nothing else.
--
-- Durability is the default: ordinary logged tables, no UNLOGGED, nothing set per session.
--
-- Run with psql against an empty database (scripts/pg-reference-bench does):
--     psql -v ON_ERROR_STOP=1 -v accounts=10000 -v balance=1000000000000 -f schema.sql URL
-- Both variables are optional; the defaults are below.

\if :{?accounts}
\else
\set accounts 10000
\endif
\if :{?balance}
\else
-- Minor units on each account: large enough that no run of any length overdraws one, so
-- no transfer is ever refused and every call does the same work.
\set balance 1000000000000
\endif

CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    -- Minor units. The CHECK is the overdraft refusal: the debit's UPDATE fails, and the
    -- whole call with it, if the balance would go below zero. It costs one comparison.
    balance bigint NOT NULL CHECK (balance >= 0),
    version bigint NOT NULL DEFAULT 0
);

CREATE TABLE transfers (
    id bigserial PRIMARY KEY,
    debit_account_id bigint NOT NULL REFERENCES accounts (id),
    credit_account_id bigint NOT NULL REFERENCES accounts (id),
    amount bigint NOT NULL CHECK (amount > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    CHECK (debit_account_id <> credit_account_id)
);

CREATE TABLE entries (
    transfer_id bigint NOT NULL REFERENCES transfers (id),
    account_id bigint NOT NULL REFERENCES accounts (id),
    -- Signed: negative on the debited account, positive on the credited one.
    amount bigint NOT NULL,
    balance_after bigint NOT NULL,
    PRIMARY KEY (transfer_id, account_id)
);

-- An account's statement is the one read every ledger must answer; without this index it
-- is a scan of every entry. Strongroom keeps the same index on its operations.
CREATE INDEX entries_account ON entries (account_id, transfer_id);

-- Book one transfer of `amount` minor units from `debit_id` to `credit_id`; return its id.
--
-- PL/pgSQL rather than LANGUAGE sql: PL/pgSQL keeps each statement's plan for the rest of
-- the session, so after a connection's first call nothing is parsed or planned; in
-- PostgreSQL 15 a SQL function that is not inlined plans its statements again on every call.
CREATE FUNCTION transfer(debit_id bigint, credit_id bigint, amount bigint) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    locked integer;
    debit_after bigint;
    credit_after bigint;
    new_id bigint;
BEGIN
    IF amount <= 0 OR debit_id = credit_id THEN
        RAISE EXCEPTION 'a transfer moves a positive amount between two accounts'
            USING ERRCODE = 'check_violation';
    END IF;
    -- Both rows, in id order: two transfers between the same accounts in opposite
    -- directions then queue on the lower id instead of deadlocking.
    PERFORM 1 FROM accounts WHERE id IN (debit_id, credit_id) ORDER BY id FOR UPDATE;
    GET DIAGNOSTICS locked = ROW_COUNT;
    IF locked <> 2 THEN
        RAISE EXCEPTION 'no account % or %', debit_id, credit_id USING ERRCODE = 'no_data_found';
    END IF;
    UPDATE accounts SET balance = balance - amount, version = version + 1
        WHERE id = debit_id RETURNING balance INTO debit_after;
    UPDATE accounts SET balance = balance + amount, version = version + 1
        WHERE id = credit_id RETURNING balance INTO credit_after;
    INSERT INTO transfers (debit_account_id, credit_account_id, amount)
        VALUES (debit_id, credit_id, amount) RETURNING id INTO new_id;
    INSERT INTO entries (transfer_id, account_id, amount, balance_after)
        VALUES (new_id, debit_id, -amount, debit_after),
               (new_id, credit_id, amount, credit_after);
    RETURN new_id;
END
$$;

-- The seed: accounts 1 to :accounts, each with :balance.
INSERT INTO accounts (id, balance)
SELECT n, :balance FROM generate_series(1, :accounts) AS n;
VACUUM ANALYZE accounts;
