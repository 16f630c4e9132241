/**
 * An error the user can fix. Its message is shown to them as is: one sentence saying what was
 * wrong and an example of the right form. Anything else thrown is a bug, logged at the dispatch
 * boundary, and the user sees a short apology.
 */
export class UserError extends Error {
  override readonly name = "UserError";
  constructor(
    readonly code: string,
    message: string,
    /** The option the error is about, so a form shows it on that field. */
    readonly field?: string,
  ) {
    super(message);
  }

  /** The same error, about `field`. */
  about(field: string): UserError {
    return this.field === undefined ? new UserError(this.code, this.message, field) : this;
  }
}

export const isUserError = (error: unknown): error is UserError => error instanceof UserError;
