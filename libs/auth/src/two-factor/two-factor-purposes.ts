/** SecretBox purposes (associated data) of the users table's 2FA columns. */
export const TOTP_SECRET_PURPOSE = 'totp-secret';
export const BACKUP_CODES_PURPOSE = 'totp-backup-codes';
