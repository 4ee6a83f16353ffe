// An installer's retry banner: the wrapper runs the command again, so what follows is a new run whose failures are
// its own (`Retrying in 10s (attempt 2/3)`, `Attempt 2 of 3`, `retry 1/5 …`, `FAILED - RETRYING: … (3 retries left).`).
export const RETRY_BANNER = /^\W*(?:retry(?:ing)?\b.*\d|attempt \d+ ?(?:\/|of) ?\d+|.*\bretrying (?:in|after) \d+|FAILED - RETRYING:)/i;
