package com.cameloauth.quarkus.manage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.inject.Inject;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The app's timeline shows the API calls its oauth: producers made, by outcome, next to the token events. */
@QuarkusTest
@TestProfile(ManageProfile.class)
class TimelineApiCallsTest {

    @Inject
    ProducerTemplate template;

    @Test
    void theTimelineCountsTheCallsARouteMadeByOutcome() {
        assertEquals(200, call("/orders"));
        assertEquals(200, call("/orders"));
        assertEquals(404, call("/no-such-resource"));

        given().auth().preemptive().basic("admin", "admin-demo").get(ManagementApiTest.API + "/spare-api/timeline.svg")
                .then().statusCode(200)
                .body(containsString("data-outcome=\"2xx\""))
                .body(containsString("data-outcome=\"4xx\""))
                .body(containsString("API calls: 3 API call(s): 2 2xx, 1 4xx."));
    }

    private int call(String path) {
        Exchange out = template.send("oauth:spare-api" + path + "?throwExceptionOnFailure=false",
                e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, "GET"));
        return out.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
    }
}
