package io.regmgr.runtime.auth;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * Why a local file (a key file, the embedded registry's attrdb file) could not be read, in words.
 * The JDK's file exceptions carry the path as their message ({@code NoSuchFileException: /x.db}),
 * which the caller already names; {@link #reason} gives the cause instead. Stateless.
 */
public final class FileReadErrors {
    private FileReadErrors() {
    }

    /**
     * @param e the failure of reading a file
     * @return the reason in words: {@code no such file}, {@code not readable (permission denied)},
     *     {@code not UTF-8 text (...)}, the file system's reason, else the message or the exception's
     *     simple name when the message is only the path; never file contents
     */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "not readable (permission denied)";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text (" + e.getMessage() + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String message = e.getMessage();
        return message == null || (e instanceof FileSystemException g && message.equals(g.getFile()))
                ? e.getClass().getSimpleName() : message;
    }
}
