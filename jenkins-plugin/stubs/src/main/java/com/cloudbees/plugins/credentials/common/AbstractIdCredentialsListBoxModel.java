package com.cloudbees.plugins.credentials.common;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.model.Item;
import hudson.util.ListBoxModel;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.springframework.security.core.Authentication;

/**
 * Stub of the Credentials plugin's AbstractIdCredentialsListBoxModel: the recommended fluent calls
 * ({@code includeEmptyValue().includeMatchingAs(…).includeCurrentValue(…)}) with the real bodies (the option texts
 * are the plugin's English messages).
 */
public abstract class AbstractIdCredentialsListBoxModel<T extends AbstractIdCredentialsListBoxModel<T, C>,
        C extends IdCredentials> extends ListBoxModel {
    private static final long serialVersionUID = 1L;

    protected abstract String describe(C c);

    public AbstractIdCredentialsListBoxModel<T, C> includeEmptyValue() {
        for (Option a : this) {
            if ("".equals(a.value)) {
                return this;
            }
        }
        add(0, new Option("- none -", ""));
        return this;
    }

    public AbstractIdCredentialsListBoxModel<T, C> includeMatchingAs(Authentication authentication, Item context,
            Class<? extends C> type, List<DomainRequirement> domainRequirements, CredentialsMatcher matcher) {
        addMissing(CredentialsProvider.listCredentialsInItem(type, context, authentication, domainRequirements,
                matcher));
        return this;
    }

    public AbstractIdCredentialsListBoxModel<T, C> includeCurrentValue(String value) {
        if (value == null || value.isEmpty()) {
            return includeEmptyValue();
        }
        for (Option a : this) {
            if (value.equals(a.value)) {
                return this;
            }
        }
        // the current should be the first (unless the first is the empty selection)
        int index = isEmpty() ? 0 : "".equals(get(0).value) ? 1 : 0;
        add(index, new Option("- current -", value));
        return this;
    }

    public boolean addMissing(Collection<? extends Option> c) {
        Set<String> existing = new HashSet<>();
        for (Option o : this) {
            existing.add(o.value);
        }
        boolean changed = false;
        for (Option o : c) {
            if (!existing.contains(o.value)) {
                add(o);
                changed = existing.add(o.value) || changed;
            }
        }
        return changed;
    }
}
