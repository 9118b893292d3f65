package com.cameloauth.token.store;

class InMemoryTokenStoreTest extends TokenStoreContractTest {

    @Override
    protected TokenStore newStore() {
        return new InMemoryTokenStore();
    }

    @Override
    protected int raceRounds() {
        return 500;
    }
}
