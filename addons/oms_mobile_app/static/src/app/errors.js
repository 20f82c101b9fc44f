/* The errors of the API client: a refusal of the server, or no network. */

export class ApiError extends Error {
    constructor(status, code, message, details) {
        super(message);
        this.status = status;
        this.code = code;
        this.details = details || {};
    }
}

export class OfflineError extends Error {}

/** The message to show for an error, with the fields the server found wrong. */
export function errorText(error) {
    if (error instanceof ApiError && error.details && error.details.fields) {
        const fields = error.details.fields
            .map((field) => `${field.field || field.location}: ${field.message}`)
            .join("; ");
        return `${error.message} ${fields}`;
    }
    return error.message || String(error);
}
