/**
 * .NET's `char`: one UTF-16 code unit. In JavaScript it is a one-character string; a longer or
 * empty string is an error. The compiler recognizes the name `char` in signatures and fields.
 */
export type char = u16;
